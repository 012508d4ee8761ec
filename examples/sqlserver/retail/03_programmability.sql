-- Retail example database: views, functions, procedures, triggers, synonyms.
CREATE OR ALTER VIEW [Sales].[vOrderTotals]
WITH SCHEMABINDING
AS
SELECT o.[OrderID], o.[CustomerID], c.[Name] AS CustomerName,
       SUM(l.[Quantity] * l.[UnitPrice]) AS LinesTotal, COUNT_BIG(*) AS LineCount
FROM [Sales].[Orders] AS o
JOIN [Sales].[OrderLines] AS l ON l.[OrderID] = o.[OrderID]
JOIN [Sales].[Customers] AS c ON c.[CustomerID] = o.[CustomerID]
GROUP BY o.[OrderID], o.[CustomerID], c.[Name];
GO

CREATE FUNCTION [Sales].[fnCustomerOrderCount] (@CustomerID int)
RETURNS int
AS
BEGIN
    DECLARE @n int;
    SELECT @n = COUNT(*) FROM [Sales].[Orders] WHERE [CustomerID] = @CustomerID;
    RETURN @n;
END;
GO

CREATE FUNCTION [Inventory].[fnProductsBySku] (@Prefix varchar(32))
RETURNS TABLE
AS
RETURN (SELECT [ProductID], [Sku], [Name] FROM [Inventory].[Products] WHERE [Sku] LIKE @Prefix + '%');
GO

CREATE PROCEDURE [Sales].[usp_PlaceOrder]
    @CustomerID int,
    @OrderDate date = NULL,
    @OrderID bigint OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    IF @OrderDate IS NULL SET @OrderDate = CAST(GETDATE() AS date);
    SET @OrderID = NEXT VALUE FOR [Sales].[OrderNumbers];
    INSERT INTO [Sales].[Orders] ([OrderID], [CustomerID], [OrderDate], [Status])
    VALUES (@OrderID, @CustomerID, @OrderDate, 0);
END;
GO

CREATE TRIGGER [Sales].[trg_Orders_Audit] ON [Sales].[Orders]
AFTER UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    INSERT INTO [Staging].[CustomerImport] ([Name], [LoadedAt])
    SELECT CAST(d.[OrderID] AS nvarchar(100)), SYSDATETIME() FROM deleted AS d;
END;
GO

CREATE SYNONYM [dbo].[Orders] FOR [Sales].[Orders];
GO

GRANT SELECT ON SCHEMA::[Sales] TO [public];
GO
PRINT 'Retail schema installed.';
GO
